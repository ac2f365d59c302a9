// Shared material block and lighting for the WGSL shaders.
struct Material {
  base_color: vec4<f32>,
  roughness: f32,
  metallic: f32,
}
@group(0) @binding(0) var<uniform> material: Material;

fn lambert(n: vec3<f32>, l: vec3<f32>) -> f32 {
  return max(dot(n, l), 0.0);
}

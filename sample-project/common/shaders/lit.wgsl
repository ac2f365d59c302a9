#import "lib/pbr.wgsl"
#import "lib/pbr.wgsl"

@group(0) @binding(1) var albedo_map: texture_2d<f32>;
@group(0) @binding(2) var albedo_sampler: sampler;
#ifdef USE_EMISSIVE
@group(0) @binding(3) var emissive_map: texture_2d<f32>;
#endif

struct VertexOut {
  @builtin(position) position: vec4<f32>,
  @location(0) uv: vec2<f32>,
  @location(1) normal: vec3<f32>,
}

@vertex
fn vs_main(@location(0) position: vec3<f32>, @location(1) uv: vec2<f32>, @location(2) normal: vec3<f32>) -> VertexOut {
  var out: VertexOut;
  out.position = vec4<f32>(position * #{SCALE}, 1.0);
  out.uv = uv;
  out.normal = normal;
  return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
  var color = material.base_color * textureSample(albedo_map, albedo_sampler, in.uv);
#ifdef USE_EMISSIVE
  color = color + textureSample(emissive_map, albedo_sampler, in.uv);
#endif
  return color * lambert(normalize(in.normal), vec3<f32>(0.0, 1.0, 0.0));
}

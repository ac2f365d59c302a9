#include "math.glsl"

layout(binding = 0) uniform Material {
  vec4 baseColor;
  float roughness;
  float metallic;
} material;

float lambert(vec3 n, vec3 l) { return saturate(dot(n, l)) / PI; }

#version 450
#extension GL_GOOGLE_include_directive : require
#include "lib/lighting.glsl"
#include "lib/math.glsl"

layout(location = 0) in vec2 vUv;
layout(location = 1) in vec3 vNormal;
layout(location = 0) out vec4 outColor;

layout(binding = 1) uniform sampler2D albedoMap;
#ifdef USE_NORMAL_MAP
layout(binding = 2) uniform sampler2D normalMap;
#endif

void main() {
  vec3 n = normalize(vNormal);
#ifdef USE_NORMAL_MAP
  n = normalize(n + texture(normalMap, vUv).xyz * 2.0 - 1.0);
#endif
  float light = lambert(n, normalize(vec3(0.3, 1.0, 0.2))) * PI;
  outColor = material.baseColor * texture(albedoMap, vUv) * light * (1.0 - material.roughness * 0.5);
}

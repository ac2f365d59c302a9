#version 450
layout(location = 0) in vec3 position;
layout(location = 1) in vec2 uv;
layout(location = 2) in vec3 normal;
#ifdef SKINNED
layout(location = 3) in uvec4 joints;
layout(location = 4) in vec4 weights;
layout(binding = 3) uniform Skin { mat4 joint[MAX_JOINTS]; } skin;
#endif
layout(binding = 4) uniform Camera { mat4 viewProjection; mat4 model; } camera;
layout(location = 0) out vec2 vUv;
layout(location = 1) out vec3 vNormal;

void main() {
  mat4 world = camera.model;
#ifdef SKINNED
  world = world * (weights.x * skin.joint[joints.x] + weights.y * skin.joint[joints.y] +
                   weights.z * skin.joint[joints.z] + weights.w * skin.joint[joints.w]);
#endif
  vUv = uv;
  vNormal = mat3(world) * normal;
  gl_Position = camera.viewProjection * world * vec4(position, 1.0);
}

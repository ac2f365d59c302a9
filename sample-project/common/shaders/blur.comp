#version 450
layout(local_size_x = 64) in;
layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba8) uniform writeonly image2D target;
layout(binding = 2) uniform Params { int radius; } params;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  vec4 sum = vec4(0.0);
  for (int i = -params.radius; i <= params.radius; i++) sum += imageLoad(source, p + ivec2(i, 0));
  imageStore(target, p, sum / float(2 * params.radius + 1));
}

/**
 * Channel count conversion. Down-mixing averages (rather than sums) so a full-scale stereo signal
 * cannot clip in mono; up-mixing mono duplicates the channel.
 */
export function mixChannels(channels: readonly Float32Array[], target: number): Float32Array[] {
  if (channels.length === target) return [...channels];
  if (channels.length === 0) throw new Error('no channels to mix');
  if (target === 1) {
    const frames = channels[0]!.length;
    const mono = new Float32Array(frames);
    const scale = 1 / channels.length;
    for (const channel of channels) for (let i = 0; i < frames; i++) mono[i]! += channel[i]! * scale;
    return [mono];
  }
  if (channels.length === 1) return Array.from({ length: target }, () => channels[0]!);
  // More channels than the target (5.1 → stereo): keep the front pair, the common game layout.
  return channels.slice(0, target);
}

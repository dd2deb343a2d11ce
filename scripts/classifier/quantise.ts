/** Signed bytes with one scale for the whole matrix: a quarter of float32's size, little lost in accuracy. */
export function quantise(weights: ArrayLike<number>): { base64: string; scale: number } {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i] ?? 0));
  const scale = max === 0 ? 1 : max / 127;
  const bytes = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) bytes[i] = Math.round((weights[i] ?? 0) / scale);
  return { base64: Buffer.from(bytes.buffer).toString('base64'), scale };
}

export function quantiseUnsigned(values: ArrayLike<number>): { base64: string; scale: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? 0);
  const scale = max === 0 ? 1 : max / 255;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round((values[i] ?? 0) / scale);
  return { base64: Buffer.from(bytes).toString('base64'), scale };
}

/**
 * The ABI returns a (pointer, length) pair packed into one i64: pointer in the high 32 bits,
 * length in the low 32 bits, both unsigned. JavaScript sees an i64 as a (signed) BigInt.
 */

/** Splits a packed i64 into its pointer and length. */
export function unpack(packed: bigint): { ptr: number; len: number } {
  const unsigned = BigInt.asUintN(64, packed);
  return { ptr: Number(unsigned >> 32n), len: Number(unsigned & 0xffff_ffffn) };
}

/** Packs a pointer and a length into the i64 the ABI returns. */
export function pack(ptr: number, len: number): bigint {
  return BigInt.asIntN(64, (BigInt(ptr >>> 0) << 32n) | BigInt(len >>> 0));
}

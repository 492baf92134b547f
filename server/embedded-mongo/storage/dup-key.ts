// Renders a duplicate key the way mongod prints it in E11000 messages, e.g. `{ email: "a@b.c" }`.

import { isPlainObject } from '../bson-order.js';

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v)) return formatDupKey(v);
  const tag = (v as { _bsontype?: string })._bsontype;
  if (tag === 'ObjectId') return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
  if (tag === 'Binary') return `BinData(${String((v as { sub_type?: number }).sub_type ?? 0)}, ${Buffer.from((v as { buffer: Uint8Array }).buffer).toString('hex').toUpperCase()})`;
  return JSON.stringify(v) ?? 'null';
}

export function formatDupKey(keyValue: Record<string, unknown>): string {
  const parts = Object.entries(keyValue).map(([k, v]) => `${k}: ${formatValue(v)}`);
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

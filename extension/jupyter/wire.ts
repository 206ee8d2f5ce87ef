/**
 * The Jupyter messaging protocol's wire format (version 5.3), with no sockets: a message is the
 * multipart frames
 *
 *   [routing identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]
 *
 * where signature = hex(HMAC-SHA256(key, header ‖ parent_header ‖ metadata ‖ content)) over the
 * four JSON frames as sent. A message whose signature does not match is refused here, before
 * anyone reads its content; so is one whose signature was already seen (a replayed message),
 * as ipykernel does.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

const PROTOCOL_VERSION = '5.3';
const DELIMITER = '<IDS|MSG>';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message<Content = Record<string, unknown>> {
  header: Header;
  /** The header of the request this answers, or {} */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: Content;
  buffers: Buffer[];
}

/** A received message with the routing identities to answer it through (ROUTER sockets). */
export interface Received {
  identities: Buffer[];
  message: Message;
}

/** Why a multipart message was refused (nothing in it was acted on). */
export class WireError extends Error {
  override name = 'WireError';
}

export class Signer {
  private readonly key: Buffer;
  /** Signatures seen recently, oldest first: a repeated one is a replayed message. */
  private readonly seen = new Set<string>();

  constructor(
    key: string,
    scheme = 'hmac-sha256',
    private readonly remember = 4096,
  ) {
    if (scheme !== 'hmac-sha256')
      throw new WireError(`expected the signature scheme "hmac-sha256", got ${JSON.stringify(scheme)}`);
    this.key = Buffer.from(key, 'utf8');
  }

  /** hex HMAC of the four JSON frames; '' when the key is empty (signing switched off, as the protocol allows). */
  sign(frames: readonly Buffer[]): string {
    if (this.key.length === 0) return '';
    const hmac = createHmac('sha256', this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** Checks a received signature; throws WireError when it is wrong or replayed. */
  verify(signature: string, frames: readonly Buffer[]): void {
    if (this.key.length === 0) return;
    const expected = Buffer.from(this.sign(frames), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new WireError('the signature does not match the connection key');
    if (this.seen.has(signature)) throw new WireError('the signature was already used (a replayed message)');
    this.seen.add(signature);
    if (this.seen.size > this.remember) this.seen.delete(this.seen.values().next().value as string);
  }
}

/** Splits, verifies and parses one multipart message. */
export function parseMessage(frames: readonly Buffer[], signer: Signer): Received {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString('utf8') === DELIMITER);
  if (at < 0) throw new WireError(`expected a "${DELIMITER}" delimiter frame among ${frames.length} frames`);
  if (frames.length < at + 6)
    throw new WireError(`expected a signature and 4 JSON frames after the delimiter, got ${frames.length - at - 1}`);
  const signature = frames[at + 1].toString('utf8');
  const json = frames.slice(at + 2, at + 6);
  signer.verify(signature, json);
  const [header, parent, metadata, content] = json.map((frame, i) => {
    try {
      return JSON.parse(frame.toString('utf8')) as unknown;
    } catch (error) {
      const names = ['header', 'parent_header', 'metadata', 'content'];
      throw new WireError(`expected the ${names[i]} frame to be JSON: ${(error as Error).message}`);
    }
  });
  if (!isHeader(header))
    throw new WireError(`expected a header with msg_id, session and msg_type strings, got ${preview(header)}`);
  if (!isObject(content)) throw new WireError(`expected the content to be a JSON object, got ${preview(content)}`);
  return {
    identities: frames.slice(0, at).map((f) => Buffer.from(f)),
    message: {
      header,
      parent_header: (isObject(parent) ? parent : {}) as Message['parent_header'],
      metadata: isObject(metadata) ? metadata : {},
      content,
      buffers: frames.slice(at + 6).map((f) => Buffer.from(f)),
    },
  };
}

/** The frames of `message`, signed, after `identities` (a ROUTER's peer, or an IOPub topic). */
export function serializeMessage(message: Message<unknown>, identities: readonly Buffer[], signer: Signer): Buffer[] {
  const json = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part), 'utf8'),
  );
  return [...identities, Buffer.from(DELIMITER), Buffer.from(signer.sign(json)), ...json, ...message.buffers];
}

/** A new message of this kernel's session, answering `parent` (or nothing). */
export function newMessage<Content>(
  msgType: string,
  content: Content,
  session: string,
  parent?: Header,
  metadata: Record<string, unknown> = {},
): Message<Content> {
  return {
    header: {
      msg_id: randomUUID(),
      session,
      username: 'kernel',
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    },
    parent_header: parent ?? {},
    metadata,
    content,
    buffers: [],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHeader(value: unknown): value is Header {
  return (
    isObject(value) &&
    typeof value.msg_id === 'string' &&
    typeof value.session === 'string' &&
    typeof value.msg_type === 'string'
  );
}

function preview(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 120);
}

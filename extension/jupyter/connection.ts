/**
 * The connection file a Jupyter client writes and passes as `{connection_file}`: where each of
 * the five channels listens and the key that signs every message. Read once at start; a file
 * that is not what the protocol describes stops the kernel with a sentence saying what is wrong.
 */
import { readFileSync } from 'node:fs';

export interface Connection {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

export function readConnection(file: string): Connection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the connection file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`expected the connection file ${file} to be JSON, got: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConnection(json, file);
}

export function parseConnection(json: unknown, file = 'the connection file'): Connection {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`expected ${file} to hold a JSON object, got ${JSON.stringify(json)}`);
  const c = json as Record<string, unknown>;
  const transport = c.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc')
    throw new Error(`expected "transport" in ${file} to be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  if (typeof c.ip !== 'string' || c.ip === '')
    throw new Error(`expected "ip" in ${file} to be an address, got ${JSON.stringify(c.ip)}`);
  for (const channel of CHANNELS) {
    const port = c[`${channel}_port`];
    if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
      throw new Error(`expected "${channel}_port" in ${file} to be a port number, got ${JSON.stringify(port)}`);
  }
  if (typeof c.key !== 'string')
    throw new Error(`expected "key" in ${file} to be a string, got ${JSON.stringify(c.key)}`);
  const scheme = c.signature_scheme ?? 'hmac-sha256';
  if (scheme !== 'hmac-sha256')
    throw new Error(`expected "signature_scheme" in ${file} to be "hmac-sha256", got ${JSON.stringify(scheme)}`);
  return { ...(c as unknown as Connection), transport, signature_scheme: scheme };
}

/** The address a channel binds: tcp://127.0.0.1:5555, or ipc://path-5555 as jupyter_client names them. */
export function addressOf(connection: Connection, channel: Channel): string {
  const port = connection[`${channel}_port`];
  return connection.transport === 'tcp' ? `tcp://${connection.ip}:${port}` : `ipc://${connection.ip}-${port}`;
}

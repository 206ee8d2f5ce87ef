/** Connection files: what the protocol describes is read; anything else is a sentence saying what is wrong. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressOf, parseConnection } from '../../../extension/jupyter/connection';

const good = {
  transport: 'tcp',
  ip: '127.0.0.1',
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  key: 'k',
  signature_scheme: 'hmac-sha256',
};

test('a connection file gives each channel its address', () => {
  const c = parseConnection(good);
  assert.equal(addressOf(c, 'shell'), 'tcp://127.0.0.1:5001');
  assert.equal(addressOf(c, 'hb'), 'tcp://127.0.0.1:5005');
  assert.equal(addressOf(parseConnection({ ...good, transport: 'ipc', ip: '/tmp/k' }), 'iopub'), 'ipc:///tmp/k-5002');
});

test('what is wrong is named', () => {
  assert.throws(() => parseConnection([]), /expected the connection file to hold a JSON object/);
  assert.throws(() => parseConnection({ ...good, transport: 'udp' }), /"transport" .* "tcp" or "ipc", got "udp"/);
  assert.throws(() => parseConnection({ ...good, shell_port: 'x' }), /"shell_port" .* a port number, got "x"/);
  assert.throws(() => parseConnection({ ...good, key: 1 }), /"key" .* a string, got 1/);
  assert.throws(() => parseConnection({ ...good, signature_scheme: 'hmac-md5' }), /"hmac-sha256", got "hmac-md5"/);
});

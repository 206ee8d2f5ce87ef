/** The wire format: signatures (checked against RFC 4231's HMAC-SHA256 vectors), parsing, refusals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newMessage, parseMessage, serializeMessage, Signer, WireError } from '../../../extension/jupyter/wire';

test('signatures are HMAC-SHA256 over the frames in order (RFC 4231, test case 2)', () => {
  const signer = new Signer('Jefe');
  const frames = [Buffer.from('what do ya want '), Buffer.from('for nothing?')];
  assert.equal(signer.sign(frames), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('a message survives serialize → parse, identities and buffers included', () => {
  const signer = new Signer('secret');
  const message = newMessage('execute_request', { code: '1 + 1' }, 'session-1');
  message.buffers = [Buffer.from([1, 2, 3])];
  const identities = [Buffer.from('client-a')];
  const received = parseMessage(serializeMessage(message, identities, new Signer('secret')), signer);
  assert.deepEqual(received.identities, identities);
  assert.deepEqual(received.message.header, message.header);
  assert.deepEqual(received.message.content, { code: '1 + 1' });
  assert.deepEqual(received.message.buffers, [Buffer.from([1, 2, 3])]);
  assert.equal(received.message.header.version, '5.3');
});

test('a wrong key, a changed content and a replayed message are refused', () => {
  const message = newMessage('execute_request', { code: 'run()' }, 's');
  const frames = serializeMessage(message, [], new Signer('right'));
  assert.throws(() => parseMessage(frames, new Signer('wrong')), WireError);
  const tampered = frames.slice();
  tampered[5] = Buffer.from(JSON.stringify({ code: 'rm()' }));
  assert.throws(() => parseMessage(tampered, new Signer('right')), /does not match the connection key/);
  const signer = new Signer('right');
  parseMessage(frames, signer);
  assert.throws(() => parseMessage(frames, signer), /replayed/);
});

test('with an empty key nothing is signed and nothing is checked, as the protocol allows', () => {
  const frames = serializeMessage(newMessage('kernel_info_request', {}, 's'), [], new Signer(''));
  assert.equal(frames[1].toString(), '');
  assert.equal(parseMessage(frames, new Signer('')).message.header.msg_type, 'kernel_info_request');
});

test('malformed multipart messages are refused with what was expected', () => {
  const signer = new Signer('');
  assert.throws(() => parseMessage([Buffer.from('no delimiter')], signer), /expected a "<IDS\|MSG>" delimiter/);
  assert.throws(
    () => parseMessage([Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('{}')], signer),
    /expected a signature and 4 JSON frames/,
  );
  const notJson = ['<IDS|MSG>', '', '{', '{}', '{}', '{}'].map((s) => Buffer.from(s));
  assert.throws(() => parseMessage(notJson, signer), /expected the header frame to be JSON/);
  const noHeader = ['<IDS|MSG>', '', '{}', '{}', '{}', '{}'].map((s) => Buffer.from(s));
  assert.throws(() => parseMessage(noHeader, signer), /expected a header with msg_id/);
  assert.throws(() => new Signer('k', 'hmac-md5'), /expected the signature scheme "hmac-sha256", got "hmac-md5"/);
});

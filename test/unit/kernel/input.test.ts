/**
 * `await input(prompt)` through a real worker: the host's answer arrives, a dismissed question
 * is null, what the cell printed before is out first, no host to ask is a clear error, an
 * interrupt ends a cell waiting for an answer with every variable kept, and an answer that comes
 * after its cell ended goes nowhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InputRequest, KernelSession } from '../../../extension/kernel/session';
import { newSession, run } from '../../helpers/kernel';

async function withSession(
  onInput: ((request: InputRequest) => Promise<string | null>) | undefined,
  body: (session: KernelSession) => Promise<void>,
): Promise<void> {
  const session = newSession({ onInput, interruptGraceMs: 5000 });
  try {
    await session.whenReady();
    await body(session);
  } finally {
    await session.dispose();
  }
}

test('the answer, and the prompt and password flag the host was asked with', async () => {
  const asked: InputRequest[] = [];
  await withSession(
    async (request) => {
      asked.push(request);
      return request.password ? 's3cret' : 'Ada';
    },
    async (session) => {
      const r = await run(
        session,
        "import { input } from 'lstm-notebook';\nconst who = await input('Your name?');\nconst key = await input('Key?', { password: true });\n`${who}:${key}`",
      );
      assert.equal(r.ok, true, r.error?.stack);
      assert.equal(r.value, "'Ada:s3cret'");
      assert.deepEqual(asked, [
        { prompt: 'Your name?', password: false },
        { prompt: 'Key?', password: true },
      ]);
    },
  );
});

test('a dismissed question is null; printed text is out before the question', async () => {
  const seenBefore: string[] = [];
  let session!: KernelSession;
  const outputs: string[] = [];
  await withSession(
    async () => {
      seenBefore.push(outputs.join(''));
      return null;
    },
    async (s) => {
      session = s;
      const result = await session.execute(
        "import { input } from 'lstm-notebook';\nconsole.log('about to ask');\nawait input('?')",
        'Cell 1',
        (o) => {
          if (o.type === 'stream') outputs.push(o.text);
          if (o.type === 'result') outputs.push(`=${o.bundle['text/plain']}`);
        },
      );
      assert.equal(result.ok, true);
      assert.deepEqual(seenBefore, ['about to ask\n']);
      assert.equal(outputs.at(-1), '=null');
    },
  );
});

test('with no one to ask (the headless runner) input() fails, saying so; wrong arguments are named', async () => {
  await withSession(undefined, async (session) => {
    const r = await run(session, "import { input } from 'lstm-notebook';\nawait input('?')");
    assert.equal(r.ok, false);
    assert.match(r.error!.message, /input: no one can answer here \(the headless runner takes no input\)/);
    const bad = await run(session, "import { input } from 'lstm-notebook';\nawait input(42)");
    assert.match(bad.error!.message, /input: expected a prompt string, got 42/);
    const option = await run(session, "import { input } from 'lstm-notebook';\nawait input('?', { hidden: true })");
    assert.match(option.error!.message, /input: unknown option.*hidden/);
  });
});

test('interrupt ends a cell waiting for an answer; its variables stay; a late answer goes nowhere', async () => {
  let answerLate!: (value: string) => void;
  let calls = 0;
  await withSession(
    (request) => {
      calls++;
      if (request.prompt === 'never answered') return new Promise((resolve) => (answerLate = resolve));
      return Promise.resolve('second');
    },
    async (session) => {
      await run(session, "import { input } from 'lstm-notebook';\nconst kept = 7;");
      const waiting = run(session, "const first = await input('never answered');");
      while (calls === 0) await new Promise((r) => setTimeout(r, 10));
      session.interrupt();
      const r = await waiting;
      assert.equal(r.ok, false);
      assert.equal(r.interrupted, true);
      assert.equal(r.stateLost, false);
      // The old question's answer arrives now: the next cell's question must get its own.
      answerLate('stale');
      const next = await run(session, "kept + ':' + (await input('asked again'))");
      assert.equal(next.value, "'7:second'");
    },
  );
});

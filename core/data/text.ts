import { TINY_SHAKESPEARE_TEXT } from './tinyshakespeare.generated';

/**
 * The whole "tinyshakespeare" corpus (core/data/tinyshakespeare.txt, where its source is
 * described): 1,115,394 characters, 65 distinct, enough for a char-LM to learn words, speaker
 * names and line breaks. Public domain.
 */
export const TINY_SHAKESPEARE: string = TINY_SHAKESPEARE_TEXT;

/** Where TINY_SHAKESPEARE comes from (title, source, licence, characters), for notebooks to cite. */
export const TINY_SHAKESPEARE_SOURCE = Object.freeze({
  title: 'tinyshakespeare, plays by William Shakespeare',
  source: 'char-rnn (Andrej Karpathy), data/tinyshakespeare/input.txt, commit 6f9487a',
  licence: 'public domain',
  characters: 1115394,
});

/**
 * A small public-domain English text for character-level models: the opening of William
 * Shakespeare's "Coriolanus" (Act I, Scene 1 into Act II, Scene 1), 39908 characters of ASCII,
 * 58 distinct characters, speaker names in capitals on their own lines as in char-rnn.
 *
 * Source: the first 39908 characters (cut at a blank line between speeches) of the
 * "tinyshakespeare" corpus, file data/tinyshakespeare/input.txt of Andrej Karpathy's
 * char-rnn repository (commit 6f9487a), unchanged. The repository describes that file as "a
 * subset of works of Shakespeare" and does not name the edition.
 * Licence: public domain. Shakespeare died in 1616; the play text carries no copyright.
 */
export const SHAKESPEARE: string = TINY_SHAKESPEARE_TEXT.slice(0, 39908);

/** Where SHAKESPEARE comes from (title, source, licence, characters), for notebooks to cite. */
export const SHAKESPEARE_SOURCE = Object.freeze({
  title: 'Coriolanus (opening), William Shakespeare',
  source: 'tinyshakespeare (char-rnn, data/tinyshakespeare/input.txt), first 39908 characters',
  licence: 'public domain',
  characters: 39908,
});

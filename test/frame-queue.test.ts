import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FrameQueue } from '../web/src/frame-queue.js';

// The playground's queue of big page changes (web/src/frame-queue.ts), with animation frames run by hand.
describe('FrameQueue', () => {
  let frames: FrameRequestCallback[] = [];
  const runFrame = () => {
    const callbacks = frames;
    frames = [];
    for (const callback of callbacks) callback(0);
  };
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback));
  afterEach(() => { frames = []; });
  afterAll(() => { vi.unstubAllGlobals(); });

  it('one change per frame, in the order they were asked for, and one frame asked for at a time', () => {
    const queue = new FrameQueue();
    const done: string[] = [];
    queue.add(() => done.push('table'));
    queue.add(() => done.push('picture'));
    queue.add(() => done.push('solution piece'));
    expect(frames).toHaveLength(1);
    runFrame();
    expect(done).toEqual(['table']);
    runFrame();
    expect(done).toEqual(['table', 'picture']);
    runFrame();
    expect(done).toEqual(['table', 'picture', 'solution piece']);
    expect(frames).toHaveLength(0);
  });

  it('a newer keyed change replaces the waiting one of its key in its place; unkeyed changes all run, in order', () => {
    const queue = new FrameQueue();
    const done: string[] = [];
    // A slider dragged: three results arrive before the frames that show them.
    for (const result of [1, 2, 3]) {
      queue.add(() => done.push(`table ${result}`), 'table');
      queue.add(() => done.push(`solution piece ${result}`));
      queue.add(() => done.push(`picture ${result}`), 'picture');
    }
    expect(frames).toHaveLength(1);
    for (let frame = 0; frame < 5; frame++) runFrame();
    expect(done).toEqual(['table 3', 'solution piece 1', 'picture 3', 'solution piece 2', 'solution piece 3']);
    expect(frames).toHaveLength(0);
  });

  it('a keyed change asked for after its key\'s last one ran waits for its own frame', () => {
    const queue = new FrameQueue();
    const done: string[] = [];
    queue.add(() => done.push('picture 1'), 'picture');
    runFrame();
    queue.add(() => done.push('picture 2'), 'picture');
    queue.add(() => done.push('picture 3'), 'picture');
    runFrame();
    expect(done).toEqual(['picture 1', 'picture 3']);
    expect(frames).toHaveLength(0);
  });

  it('a change that throws does not hold up the ones after it', () => {
    const queue = new FrameQueue();
    const done: string[] = [];
    queue.add(() => { throw new Error('a picture that could not be shown'); });
    queue.add(() => done.push('solution piece'));
    expect(runFrame).toThrow('a picture that could not be shown');
    runFrame();
    expect(done).toEqual(['solution piece']);
  });
});

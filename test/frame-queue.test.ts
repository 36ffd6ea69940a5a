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

import { SingleBar } from 'cli-progress';
import type { Progress } from '../train/fit.js';

/** The progress bar of `mashagrad train`, drawn on stderr when it is a terminal; otherwise nothing. */
export interface TrainingProgress {
  update(progress: Progress): void;
  /** Clear the bar before a line is printed (the epoch summary). */
  pause(): void;
  stop(): void;
}

export function trainingProgress(epochs: number): TrainingProgress | null {
  if (process.stderr.isTTY !== true) return null;
  const bar = new SingleBar({
    format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} steps  loss {loss}  accuracy {accuracy}  {speed} samples/s',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 10,
  });
  let started = false;
  let epoch = 0;
  return {
    update(progress) {
      const payload = {
        epoch: progress.epoch, epochs,
        loss: progress.loss.toFixed(4),
        accuracy: progress.accuracy === null ? '–' : `${(progress.accuracy * 100).toFixed(1)}%`,
        speed: Math.round(progress.samplesPerSecond).toLocaleString('en-US'),
      };
      if (!started || epoch !== progress.epoch) {
        if (started) bar.stop();
        bar.start(progress.steps, progress.step, payload);
        started = true;
        epoch = progress.epoch;
      } else {
        bar.update(progress.step, payload);
      }
    },
    pause() {
      if (started) bar.stop();
      started = false;
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

/** The app's time source. Tests provide a controllable one; production uses `Date.now`. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/** What every DOT builder returns: the graph, and anything the person should be told about it. */
export interface DotPicture {
  readonly dot: string;
  /** Said in the picture too; the CLI also prints them (for example: the graph was collapsed). */
  readonly notes: readonly string[];
}

/** The formats a picture can be written in. */
export type PictureFormat = 'svg' | 'png' | 'dot';

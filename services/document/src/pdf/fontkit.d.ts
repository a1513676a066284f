// fontkit ships no type declarations; this is the part the renderer uses.
declare module 'fontkit' {
  /** A parsed TrueType font. pdfkit embeds (a subset of) it when given one instead of a file. */
  export interface Font {
    readonly postscriptName: string;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}

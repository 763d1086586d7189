export class InvalidWebSocketPathSegmentError extends Error {
  constructor(kind: string, index: number, segment: unknown) {
    super(
      `${kind} segment ${index} is invalid (${JSON.stringify(segment)}): segments must be non-empty strings without "/"`,
    );
    this.name = InvalidWebSocketPathSegmentError.name;
  }
}

function buildPath(kind: string, segments: readonly string[]): string {
  if (segments.length === 0) {
    throw new InvalidWebSocketPathSegmentError(kind, 0, undefined);
  }
  segments.forEach((segment, index) => {
    if (typeof segment !== 'string' || segment.length === 0 || segment.includes('/')) {
      throw new InvalidWebSocketPathSegmentError(kind, index, segment);
    }
  });
  return segments.join('/');
}

/** `'a/b/c'` for `['a', 'b', 'c']`: the type of a path built from literal segments; else `string`. */
export type JoinedPath<Segments extends readonly string[]> = Segments extends readonly [
  infer Only extends string,
]
  ? Only
  : Segments extends readonly [infer First extends string, ...infer Rest extends readonly string[]]
    ? `${First}/${JoinedPath<Rest>}`
    : string;

/**
 * Builds Socket.IO event names (`observation/signal/notification/created`) from validated
 * segments; literal segments give the name its literal type, so it can key an event map.
 */
export const WebSocketTopics = {
  build: <Segments extends readonly string[]>(...segments: Segments): JoinedPath<Segments> =>
    buildPath('topic', segments) as JoinedPath<Segments>,
};

/** Builds Socket.IO room names (`signal/notification/{id}`) from validated segments. */
export const WebSocketRooms = {
  build: (...segments: string[]): string => buildPath('room', segments),
};

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

/** Builds Socket.IO event names (`observation/signal/notification/created`) from validated segments. */
export const WebSocketTopics = {
  build: (...segments: string[]): string => buildPath('topic', segments),
};

/** Builds Socket.IO room names (`signal/notification/{id}`) from validated segments. */
export const WebSocketRooms = {
  build: (...segments: string[]): string => buildPath('room', segments),
};

import { canonicalJson, contentKey, sha256Key } from './content-key';

describe(canonicalJson.name, () => {
  it('should sort object keys at every level and drop whitespace', () => {
    const sut = canonicalJson(JSON.parse('{ "b": [ {"y": 1, "x": 2} ], "a": "é" }'));

    expect(sut).toBe('{"a":"é","b":[{"x":2,"y":1}]}');
  });

  it('should keep the order of arrays', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});

describe(contentKey.name, () => {
  it('should give the same value the same key however it was serialized', () => {
    const written = '{"eventType":"a.B","payload":{"contentId":"c-1","sourceService":"a"}}';
    const rewritten =
      '{\n  "payload": { "sourceService": "a", "contentId": "c\\u002d1" },\n  "eventType": "a.B"\n}';

    expect(contentKey(JSON.parse(rewritten))).toBe(contentKey(JSON.parse(written)));
  });

  it('should give values that differ in one character different keys', () => {
    expect(contentKey({ contentId: 'c-1' })).not.toBe(contentKey({ contentId: 'c-2' }));
  });

  it('should be sha256: and 64 hex digits', () => {
    expect(contentKey({})).toBe(sha256Key('{}'));
    expect(sha256Key('{}')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

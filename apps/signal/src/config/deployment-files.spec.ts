import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

// No Docker engine runs here: these files are held to the rest of the repository by text.
describe('deployment files', () => {
  const nodeVersion = read('.nvmrc').trim();

  it('should pin every compose image to a release', () => {
    const images = [...read('docker', 'compose.yml').matchAll(/^\s+image: (\S+)$/gm)].map(
      (match) => match[1],
    );
    expect(images.length).toBeGreaterThan(0);
    const unpinned = images.filter(
      (image) => image !== 'signal:local' && !/:[^:]*\d+\.\d+[^:]*$/.test(image),
    );
    expect(unpinned).toEqual([]);
  });

  it("should build the image on .nvmrc's Node", () => {
    expect(read('docker', 'Dockerfile')).toContain(`ARG NODE_IMAGE=node:${nodeVersion}-`);
  });

  it("should declare .nvmrc's Node line in engines", () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    // 24.6: the oldest 24.x @platformatic/kafka runs on.
    expect(engines.node).toBe(`>=${nodeVersion.split('.')[0]}.6`);
  });

  it('should keep dependencies, build output, caches and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['.git', 'node_modules', 'dist', '.cache', '.env']),
    );
  });
});

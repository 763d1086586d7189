import { problemsOf, loadWithDevCredentials } from '../config-testing';
import { parsePhx } from './phx.section';

describe(parsePhx.name, () => {
  it('should refuse a first retry delay above the cap', () => {
    expect(() =>
      loadWithDevCredentials({ PHX_RETRY_INITIAL_MS: '90000', PHX_RETRY_MAX_MS: '60000' }),
    ).toThrow('- PHX_RETRY_INITIAL_MS: must not exceed PHX_RETRY_MAX_MS');
  });

  describe('delivery lease', () => {
    const FCM_ACCOUNT = JSON.stringify({
      project_id: 'p',
      client_email: 'push@p.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n',
    });
    const leaseProblems = (env: Record<string, string>) =>
      problemsOf(env).filter((problem) => problem.startsWith('PHX_DELIVERY_LEASE_MS'));

    it('should accept the defaults', () => {
      expect(leaseProblems({})).toEqual([]);
      expect(
        leaseProblems({ PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT_JSON: FCM_ACCOUNT }),
      ).toEqual([]);
    });

    it.each([
      // E-mails: a chunk's pool connections serve the 4 chunks in flight, 3 waits each, + 5 s.
      [{ PHX_DELIVERY_LEASE_MS: '60000' }, 125_000],
      [{ PHX_DELIVERY_LEASE_MS: '29000', SMTP_TIMEOUT_MS: '2000' }, 29_000],
      // Pushes: FCM's token and send requests, again after a refused token: 4 timeouts.
      [
        {
          PHX_DELIVERY_LEASE_MS: '50000',
          SMTP_TIMEOUT_MS: '1000',
          PUSH_PROVIDER: 'fcm',
          FCM_SERVICE_ACCOUNT_JSON: FCM_ACCOUNT,
          PUSH_TIMEOUT_MS: '12000',
        },
        53_000,
      ],
    ])(
      'should stop the boot when a send can outlast the lease (%j: %d ms)',
      (env, longestSendMs) => {
        const [problem] = leaseProblems(env);

        expect(problem).toContain(
          `longest a push or e-mail send can take here, ${longestSendMs} ms`,
        );
        for (const variable of ['PUSH_TIMEOUT_MS', 'SMTP_TIMEOUT_MS']) {
          expect(problem).toContain(variable);
        }
      },
    );

    it('should not judge the lease while the push or SMTP section is bad', () => {
      const sut = parsePhx({ PHX_DELIVERY_LEASE_MS: '1000' }, { push: undefined, smtp: undefined });

      expect(sut).toMatchObject({ ok: true, value: { deliveryLeaseMs: 1000 } });
    });

    it('should accept a lease just above the longest send', () => {
      expect(leaseProblems({ PHX_DELIVERY_LEASE_MS: '29001', SMTP_TIMEOUT_MS: '2000' })).toEqual(
        [],
      );
    });
  });

  describe('delivery chunk size', () => {
    it('should default to 16 requests per chunk, without a warning', () => {
      const sut = loadWithDevCredentials({});

      expect(sut.phx.deliveryChunkSize).toBe(16);
      expect(sut.warnings).toEqual([]);
    });

    it('should read PHX_DELIVERY_CHUNK_SIZE', () => {
      const sut = loadWithDevCredentials({ PHX_DELIVERY_CHUNK_SIZE: '32' });

      expect(sut.phx.deliveryChunkSize).toBe(32);
      expect(sut.warnings).toEqual([]);
    });

    it('should still read the former name PHX_DELIVERY_CONCURRENCY, with a warning to rename it', () => {
      const sut = loadWithDevCredentials({ PHX_DELIVERY_CONCURRENCY: '8' });

      expect(sut.phx.deliveryChunkSize).toBe(8);
      expect(sut.warnings).toEqual([
        'PHX_DELIVERY_CONCURRENCY: deprecated, read as PHX_DELIVERY_CHUNK_SIZE (requests per push and e-mail chunk; 4 chunks are sent at once); rename it',
      ]);
    });

    it('should prefer PHX_DELIVERY_CHUNK_SIZE when both are set, warning that the former name is ignored', () => {
      const sut = loadWithDevCredentials({
        PHX_DELIVERY_CHUNK_SIZE: '32',
        PHX_DELIVERY_CONCURRENCY: '8',
      });

      expect(sut.phx.deliveryChunkSize).toBe(32);
      expect(sut.warnings).toEqual([
        'PHX_DELIVERY_CONCURRENCY: ignored, PHX_DELIVERY_CHUNK_SIZE is set; remove the deprecated name',
      ]);
    });

    it('should judge the former name only while it is read', () => {
      expect(problemsOf({ PHX_DELIVERY_CONCURRENCY: '0' })).toEqual([
        'PHX_DELIVERY_CONCURRENCY: PHX_DELIVERY_CONCURRENCY must not be less than 1',
      ]);
      expect(problemsOf({ PHX_DELIVERY_CHUNK_SIZE: '300' })).toEqual([
        'PHX_DELIVERY_CHUNK_SIZE: PHX_DELIVERY_CHUNK_SIZE must not be greater than 256',
      ]);
      expect(
        loadWithDevCredentials({ PHX_DELIVERY_CHUNK_SIZE: '32', PHX_DELIVERY_CONCURRENCY: '0' }).phx
          .deliveryChunkSize,
      ).toBe(32);
    });
  });
});

// Integration tests start real clients and processes; a per-project `testTimeout` is not honoured by Jest.
jest.setTimeout(60_000);

import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { SignalConfig } from '../config/signal-config';
import { errorMessage, withTimeout } from './with-timeout';

/** Up when the app's own pool answers `SELECT 1`; down names the cause (Terminus's TypeORM check does not). */
@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly config: SignalConfig,
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  async check(key = 'postgresql'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await withTimeout(
        this.dataSource.query('SELECT 1'),
        this.config.health.timeoutMs,
        'PostgreSQL SELECT 1',
      );
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: errorMessage(error) });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { SignalConfig } from '../config/signal-config';
import { DependencyHealthIndicator } from './dependency.health-indicator';

/** Up when the app's own pool answers `SELECT 1`; down names the cause (Terminus's TypeORM check does not). */
@Injectable()
export class PostgresHealthIndicator extends DependencyHealthIndicator {
  protected readonly key = 'postgresql';

  constructor(
    config: SignalConfig,
    health: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {
    super(config, health);
  }

  protected async probe(): Promise<Record<string, unknown>> {
    await this.dataSource.query('SELECT 1');
    return {};
  }
}

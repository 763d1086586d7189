import { DynamicModule, InjectionToken, Module, OptionalFactoryDependency } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions, PersistenceOptions } from './data-source-options';

export interface PersistenceModuleAsyncOptions {
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  /** Receives the `inject` providers in order. */
  useFactory: (...args: never[]) => PersistenceOptions | Promise<PersistenceOptions>;
}

/**
 * The one TypeORM connection of the app, imported once by the root module. It exports no
 * repository: each feature imports the persistence module of its own tables
 * (`ActivityPersistenceModule`, `PhxPersistenceModule`, `LegacyPersistenceModule`). The
 * `DataSource` itself is global (`TypeOrmModule`'s core module), for raw statements and checks.
 */
@Module({})
export class PersistenceModule {
  static forRootAsync(options: PersistenceModuleAsyncOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: options.inject,
          useFactory: async (...args: unknown[]) => ({
            ...buildDataSourceOptions(await options.useFactory(...(args as never[]))),
            // A short grace at boot, not Nest's default of 9 retries 3 s apart.
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
    };
  }
}

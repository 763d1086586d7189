import {
  ConfigurableModuleBuilder,
  ConfigurableModuleOptionsFactory,
  Inject,
} from '@nestjs/common';
import { PhxPushModuleOptions } from './phx-push-module-options.interface';

export const {
  ConfigurableModuleClass: PhxPushConfigurableModule,
  MODULE_OPTIONS_TOKEN: PHX_PUSH_MODULE_OPTIONS,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PhxPushModuleOptions>({ moduleName: 'PhxPush' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createPhxPushOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();

/** Argument of `PhxPushModule.forRootAsync`: `useFactory` + `inject`, `useClass` or `useExisting`, plus `imports` and `isGlobal`. */
export type PhxPushModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

/** What a `useClass` / `useExisting` options provider of `PhxPushModule.forRootAsync` implements. */
export type PhxPushOptionsFactory = ConfigurableModuleOptionsFactory<
  PhxPushModuleOptions,
  'createPhxPushOptions'
>;

/** Injects the {@link PhxPushModuleOptions} the module was configured with. */
export const InjectPhxPushOptions = (): ParameterDecorator & PropertyDecorator =>
  Inject(PHX_PUSH_MODULE_OPTIONS);

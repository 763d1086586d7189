import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';
import { ToBoolean } from '../../common/to-boolean.transform';
import { IsUrlWithScheme, ToInteger } from '../env-validators';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

export interface RabbitmqSettings {
  enabled: boolean;
  url: string;
  queue: string;
  prefetch: number;
}

export class RabbitmqVariables {
  @ToBoolean({ lenient: true })
  @IsBoolean()
  RABBITMQ_ENABLED = true;

  @IsUrlWithScheme(['amqp', 'amqps'])
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Matches(/^[A-Za-z0-9._:-]{1,255}$/, {
    message: 'must be a queue name of letters, digits, ".", "_", ":" and "-"',
  })
  RABBITMQ_QUEUE = 'signal.legacy-notifications';

  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(1000)
  RABBITMQ_PREFETCH = 20;
}

export function parseRabbitmq(env: EnvVars): Parsed<RabbitmqSettings> {
  const read = readVariables(RabbitmqVariables, env);
  if (!read.ok) return read;
  const vars = read.value;
  return valid({
    enabled: vars.RABBITMQ_ENABLED,
    url: vars.RABBITMQ_URL,
    queue: vars.RABBITMQ_QUEUE,
    prefetch: vars.RABBITMQ_PREFETCH,
  });
}

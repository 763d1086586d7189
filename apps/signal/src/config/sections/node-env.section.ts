import { IsIn } from 'class-validator';
import { EnvVars, Parsed, readVariables, valid } from '../parsed';

const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export class NodeEnvVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';
}

export function parseNodeEnv(env: EnvVars): Parsed<NodeEnv> {
  const read = readVariables(NodeEnvVariables, env);
  return read.ok ? valid(read.value.NODE_ENV) : read;
}

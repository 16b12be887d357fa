// CloudFormation template types and the contract between the renderer and the deploy engine:
// the stack's parameter and output names are fixed here and nowhere else.

/** A CloudFormation value: literals, arrays, objects and intrinsic functions ({ Ref }, { 'Fn::GetAtt' }, …). */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface Resource {
  Type: string;
  Properties?: Record<string, Value>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  Metadata?: Record<string, Value>;
}

export interface Parameter {
  Type: string;
  Description?: string;
  Default?: string | number;
  AllowedPattern?: string;
  AllowedValues?: string[];
  NoEcho?: boolean;
}

export interface Output {
  Description?: string;
  Value: Value;
  Export?: { Name: Value };
  Condition?: string;
}

export interface Template {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters?: Record<string, Parameter>;
  Conditions?: Record<string, Value>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, Output>;
}

/** The stack parameter that carries the image (`repository@sha256:…`) into the task definition. */
export const IMAGE_PARAMETER = 'ImageUri';

/** Stack outputs the action reports; `ApiUrl` becomes the `api-url` output. */
export const OUTPUTS = {
  apiUrl: 'ApiUrl',
  cluster: 'ClusterName',
  service: 'ServiceName',
  logGroup: 'LogGroupName',
  loadBalancerDns: 'LoadBalancerDnsName',
  dashboardUrl: 'DashboardUrl',
} as const;

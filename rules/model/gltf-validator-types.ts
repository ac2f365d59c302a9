/** The slice of the Khronos `gltf-validator` API the model rule uses (the package ships no types). */
export interface ValidatorMessage {
  code: string;
  message: string;
  severity: number;
  pointer?: string;
  offset?: number;
}

export interface ValidatorReport {
  issues: {
    numErrors: number;
    numWarnings: number;
    numInfos: number;
    numHints: number;
    messages: ValidatorMessage[];
    truncated: boolean;
  };
  info?: { extensionsUsed?: string[]; extensionsRequired?: string[] };
}

export interface ValidatorOptions {
  uri?: string;
  format?: 'glb' | 'gltf';
  maxIssues?: number;
  ignoredIssues?: string[];
  severityOverrides?: Record<string, number>;
  externalResourceFunction?: (uri: string) => Promise<Uint8Array>;
  writeTimestamp?: boolean;
}

export interface GltfValidator {
  version(): string;
  validateBytes(data: Uint8Array, options?: ValidatorOptions): Promise<ValidatorReport>;
}

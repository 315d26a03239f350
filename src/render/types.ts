/** One file of the render output, relative to the output folder (POSIX separators). */
export interface RenderedFile {
  path: string;
  content: string;
  /** Holds a private key or credentials: written 0600, never shown by --diff. */
  secret: boolean;
}

export interface RenderOptions {
  /** Hand the CA key to the chart (tls.ca.key): every cluster could then mint certificates for the whole mesh. */
  caKeyToChart: boolean;
  /** metrics-server scrapes kubelets without verifying their certificates (explicit, never the default). */
  kubeletInsecureTls: boolean;
}

export const DEFAULT_RENDER_OPTIONS: RenderOptions = { caKeyToChart: false, kubeletInsecureTls: false };

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError } from '../errors.ts';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export type Handler<P> = (ctx: RouteContext, principal: P) => Promise<void> | void;

interface Route<P> {
  method: string;
  pattern: string;
  regex: RegExp;
  names: string[];
  handler: Handler<P>;
  /** null: no authentication (health checks only). */
  permission: string | null;
}

/** A small method + path router; `:name` segments become params. */
export class Router<P> {
  readonly routes: Array<Route<P>> = [];

  add(method: string, pattern: string, permission: string | null, handler: Handler<P>): this {
    const names: string[] = [];
    const regex = new RegExp(
      '^' +
        pattern.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        }) +
        '$',
    );
    this.routes.push({ method, pattern, regex, names, handler, permission });
    return this;
  }

  match(method: string, path: string): { route: Route<P>; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeParam(n, m[i + 1]!)));
      return { route, params };
    }
    return allowed.length ? { allowed } : undefined;
  }
}

/** A path parameter, percent-decoded; broken encoding (`%ZZ`) is the client's error, not a 500. */
function decodeParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new GatehouseError('INPUT_INVALID', `path parameter ${name} is not valid percent-encoded UTF-8: ${raw.slice(0, 80)}`, {
      hint: 'encode it with encodeURIComponent',
    });
  }
}

/** The part of an OpenAPI 3.1 operation a route declares; paths, parameters and security are derived. */

/** JSON Schema 2020-12 (OpenAPI 3.1 uses it as it is). */
export type Schema = Record<string, unknown>;

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Query parameters besides `api_key` (which every authenticated route accepts). */
  query?: Record<string, { schema: Schema; description: string }>;
  /** Header parameters (e.g. `If-Match`). */
  headers?: Record<string, { schema: Schema; description: string }>;
  requestBody?: { schema: Schema; required: boolean };
  /** The success responses by status; error responses are added from the route's access. */
  responses: Record<
    number,
    {
      description: string;
      schema: Schema;
      etag?: boolean;
      /** Default application/json; a stream's (text/event-stream, …) */
      mediaTypes?: string[];
      /** Other media types the status may answer with, each with its own schema (the page's HTML beside who the caller is). */
      alternatives?: Record<string, Schema>;
    }
  >;
}

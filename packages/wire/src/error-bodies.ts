/** Every error the API answers (docs/api.md "Errors"). Types only. */

/** cvflow's envelope: `{"error": ErrorEnvelope}`. */
export interface ErrorEnvelope {
  /** Stable, machine-readable, e.g. `invalid_workflow`. */
  code: string;
  message: string;
  /** The HTTP status. */
  status: number;
  details: Record<string, unknown>;
}

/** One problem of a definition or its inputs: a compile error in `details.errors`, or a validation warning. */
export interface WorkflowIssue {
  code: string;
  message: string;
  /** JSON pointer (RFC 6901) into the definition, or into the runtime inputs for input errors. */
  pointer?: string;
  step?: string;
  property?: string;
}

/** The envelope, and beside it the fields Roboflow's clients read. */
export interface ErrorBody {
  error: ErrorEnvelope;
  message: string;
  error_type: string;
  inner_error_message?: string;
}

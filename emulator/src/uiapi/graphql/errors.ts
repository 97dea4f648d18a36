import type { ASTNode } from 'graphql';

export type ErrorClass =
  'InvalidSyntax' | 'ValidationError' | 'DataFetchingException' | 'OperationNotSupported';

/** One entry of a GraphQL response's `errors`, in the shape the UI API GraphQL answers with. */
export interface GraphQlErrorJson {
  message: string;
  locations: Array<{ line: number; column: number }>;
  path?: string[];
  extensions: { ErrorType: ErrorClass; classification: ErrorClass };
}

/** A failure of one GraphQL request; it becomes an entry of `errors`, never an HTTP error. */
export class GraphQlError extends Error {
  constructor(
    message: string,
    readonly classification: ErrorClass,
    readonly node?: ASTNode,
    readonly path?: string[],
  ) {
    super(message);
  }

  toJson(): GraphQlErrorJson {
    const loc = this.node?.loc;
    return {
      message: this.message,
      locations: loc ? [{ line: loc.startToken.line, column: loc.startToken.column }] : [],
      ...(this.path ? { path: this.path } : {}),
      extensions: { ErrorType: this.classification, classification: this.classification },
    };
  }
}

/** `Field 'X' in type 'Y' is undefined`, the validation error of a name the schema does not have. */
export function undefinedField(name: string, type: string, node: ASTNode, path: string[]): GraphQlError {
  return new GraphQlError(
    `Validation error (FieldUndefined@[${[...path, name].join('/')}]) : Field '${name}' in type '${type}' is undefined`,
    'ValidationError',
    node,
  );
}

export function invalidArgument(message: string, node?: ASTNode): GraphQlError {
  return new GraphQlError(`Validation error (WrongType) : ${message}`, 'ValidationError', node);
}

import { ClassType, Field, Int, ObjectType } from "type-graphql";
import { decodeCursor } from "./cursor";
import { badUserInput } from "./errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Paging arguments as a client sends them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Which slice of an ordered list a request asks for, validated. */
export interface PageWindow {
  size: number;
  /** true for last/before: the query runs in reverse order and the page is flipped back. */
  backward: boolean;
  /** The decoded keyset position to start after (or before, going backward). */
  key: Array<string | number> | null;
}

/**
 * Validates paging arguments: `first`/`after` forward or `last`/`before` backward, 1 to 100 a page.
 * `shape` is the cursor's key shape (see decodeCursor).
 */
export function pageWindow(args: PageArgs, shape: string): PageWindow {
  const { first, after, last, before } = args;
  const forward = first != null || after != null;
  const backward = last != null || before != null;
  if (forward && backward) {
    throw badUserInput("Page with first/after or with last/before, not both", first != null ? "first" : "last");
  }
  const sizeArg = backward ? "last" : "first";
  const size = (backward ? last : first) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`${sizeArg} must be from 1 to ${MAX_PAGE_SIZE}, got ${size}`, sizeArg);
  }
  const cursor = backward ? before : after;
  const key = cursor == null ? null : decodeCursor(cursor, shape, backward ? "before" : "after");
  return { size, backward, key };
}

/** A page of nodes and the means to answer `totalCount` and `pageInfo` only when asked. */
export interface Page<TNode> {
  nodes: TNode[];
  /** Declared as a method so that a page of richer rows (with sort keys) is still a page of nodes. */
  cursorOf(node: TNode): string;
  hasNextPage: () => Promise<boolean> | boolean;
  hasPreviousPage: () => Promise<boolean> | boolean;
  totalCount: () => Promise<number>;
}

@ObjectType()
export class PageInfo {
  constructor(private readonly page: Page<unknown>) {}

  @Field(() => Boolean)
  async hasNextPage(): Promise<boolean> {
    return this.page.hasNextPage();
  }

  @Field(() => Boolean)
  async hasPreviousPage(): Promise<boolean> {
    return this.page.hasPreviousPage();
  }

  @Field(() => String, { nullable: true })
  startCursor(): string | null {
    const { nodes, cursorOf } = this.page;
    return nodes.length ? cursorOf(nodes[0]) : null;
  }

  @Field(() => String, { nullable: true })
  endCursor(): string | null {
    const { nodes, cursorOf } = this.page;
    return nodes.length ? cursorOf(nodes[nodes.length - 1]) : null;
  }
}

/**
 * Turns rows fetched `size + 1` at a time in query order into a page in display order.
 * The extra row only says there is more in the direction of travel; whether anything lies
 * behind the cursor is a separate, lazy question (`behindCursor`), asked only if a client wants it.
 */
export function toPage<TNode>(
  rows: TNode[],
  window: PageWindow,
  cursorOf: (node: TNode) => string,
  totalCount: () => Promise<number>,
  behindCursor: () => Promise<boolean>,
): Page<TNode> {
  const more = rows.length > window.size;
  const nodes = rows.slice(0, window.size);
  if (window.backward) nodes.reverse();
  const behind = () => (window.key ? behindCursor() : false);
  return {
    nodes,
    cursorOf,
    hasNextPage: window.backward ? behind : () => more,
    hasPreviousPage: window.backward ? () => more : behind,
    totalCount: memoize(totalCount),
  };
}

function memoize<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

/** The GraphQL edge and connection types for a node type, named as in the contract. */
export function connectionTypes<TNode extends object>(name: string, nodeType: ClassType<TNode>, description?: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`, { description })
  class Connection {
    constructor(private readonly page: Page<TNode>) {}

    @Field(() => [Edge])
    edges(): Edge[] {
      return this.page.nodes.map((node) => ({ cursor: this.page.cursorOf(node), node }));
    }

    @Field(() => PageInfo)
    pageInfo(): PageInfo {
      return new PageInfo(this.page as Page<unknown>);
    }

    @Field(() => Int)
    totalCount(): Promise<number> {
      return this.page.totalCount();
    }
  }

  return { Edge, Connection };
}

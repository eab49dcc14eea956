/**
 * Asks the background something, typed by the contract: the answer, or a RemoteError carrying
 * the background's error as its cause.
 */
import { extensionApi } from "./extension-api.js";
import { unwrapReply, type Answers, type BackgroundRequest, type RequestOf, type RequestType } from "../../src/extension/extension-messages.js";

export async function ask<K extends RequestType>(request: RequestOf<K> & { type: K }): Promise<Answers[K]> {
  return (await send(request)) as Answers[K];
}

/** The same, for a request of any type (the engine's commands). */
export async function send(request: BackgroundRequest): Promise<unknown> {
  const reply: unknown = await extensionApi.runtime.sendMessage(request);
  return unwrapReply<unknown>(reply, request.type);
}

/** A route before its access is enforced (service.ts enforces it): the handler also gets the caller. The route tables (routes.ts, run-routes.ts, the dialects') are made of these. */
import type { Principal } from "./auth.js";
import type { Route, ServiceRequest, ServiceResponse } from "./http.js";

export interface RouteSpec extends Omit<Route, "handler"> {
  handle: (request: ServiceRequest, principal: Principal) => Promise<ServiceResponse>;
}

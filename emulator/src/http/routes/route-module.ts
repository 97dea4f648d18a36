import type { Router } from 'express';
import type { RouteContext } from '../context';

/** A file of routes: registers its handlers on the app (unversioned) or the versioned API router. */
export type RouteModule = (router: Router, ctx: RouteContext) => void;

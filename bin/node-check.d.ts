// Types of node-check.js (plain JavaScript, so that an old Node can parse it).
export interface PackageFacts { name: string; range: string; runtimes: string[] }
export function minimumOf(range: string): [number, number, number];
export function atLeast(version: string, minimum: [number, number, number]): boolean;
export function packageFacts(): PackageFacts;
export function runtimePackage(platform: string, arch: string): string;
export function nodeProblem(version: string, where: string, facts: PackageFacts, platform: string, arch: string): string | null;
export function bundledNode(facts: PackageFacts): string | null;

// Packages without type declarations; their used surface is typed where it is used.
declare module 'gltf-validator';
declare module 'draco3dgltf';

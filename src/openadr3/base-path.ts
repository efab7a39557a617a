/** Where the VTN is served on the platform's API server. */
export const OPENADR3_BASE_PATH = '/openadr3';

/** Where render, apply, status and verify keep their files unless told otherwise (relative to the working folder). */
export const DEFAULT_OUT = '.meshwright/out';
export const DEFAULT_STATE = '.meshwright/state/pki';

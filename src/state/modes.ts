/** Private to the user: the folder 0700, every file 0600 (keys must be; certificates follow). */
export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

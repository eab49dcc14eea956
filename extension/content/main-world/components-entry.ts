/**
 * The two elements, defined in a page's world (each define guarded: a page that has them keeps
 * its own). Built as a file of its own that the background injects (background/components.ts).
 */
import "../../../components/index.js";
import "../../../components/call-session-recordings/call-session-recordings.js";

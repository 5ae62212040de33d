import Foundation
import GLIDNCLI
import GLIDNVideoCLI

// Line-buffered standard output, as `glidn`'s.
setvbuf(stdout, nil, _IOLBF, 0)
GLIDNCommand.bootstrapLogging()
// Passed in so that a failed write to it ends in an error (`glidn`'s main says why).
GLIDNVideoCommand.runAsTool(standardOutput: stdout)

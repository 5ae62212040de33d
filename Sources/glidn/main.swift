import Foundation
import GLIDNCLI

// Line-buffered standard output, so that results appear as they are printed even when
// the output goes to a file or a pipe.
setvbuf(stdout, nil, _IOLBF, 0)
GLIDNCommand.bootstrapLogging()
// Passed in so that a failed write to it (a full disk) ends in an error, not exit status 0.
GLIDNCommand.runAsTool(standardOutput: stdout)

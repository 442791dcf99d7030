import CertManagerKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

// The crash tests' child process (issue 5): runs the create-new-ETK flow (cookbook 4.3.4) for a
// natural person against a sandbox, and can stand still at a chosen step boundary, where the test
// kills it with SIGKILL, as a power cut or the OOM killer would: no handler, no flush, no cleanup.
//
//     flow-crash-child start  WORK KEYSTORES CERTRA-URL ETKRA-URL EID-P12 HOLD-AFTER
//     flow-crash-child resume WORK FLOW-ID   CERTRA-URL ETKRA-URL EID-P12
//
// Lines on standard output, each written at once (no buffering to lose):
//   FLOW <id>            `start` recorded the flow (nothing sent yet)
//   STEP <n> <number>    the n-th step finished: its outcome is in the journal
//   HOLD <n> <number>    the child now blocks for good after the n-th finished step (HOLD-AFTER n;
//                        0 holds right after FLOW; a number beyond the flow's steps never holds)
//   DONE <keystore>      `resume` (or a `start` that never held) finished the flow
// Passwords come from the environment, never from arguments: FLOW_CRASH_PASSWORD (the keystore's)
// and FLOW_CRASH_EID_PASSWORD (the software eID's). Exit 0 when finished, 1 with the error on
// standard error, 2 for wrong arguments.

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

/// Stands still until killed; the test's SIGKILL is the only way out.
func holdForever() -> Never {
    while true { pause() }
}

/// Counts finished steps across the flow's tasks.
final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 6, ["start", "resume"].contains(arguments[0]),
      let certRA = URL(string: arguments[3]), let etkRA = URL(string: arguments[4]) else {
    fail("usage: flow-crash-child start WORK KEYSTORES CERTRA-URL ETKRA-URL EID-P12 HOLD-AFTER | resume WORK FLOW-ID CERTRA-URL ETKRA-URL EID-P12", status: 2)
}
guard let password = ProcessInfo.processInfo.environment["FLOW_CRASH_PASSWORD"],
      let eIDPassword = ProcessInfo.processInfo.environment["FLOW_CRASH_EID_PASSWORD"] else {
    fail("FLOW_CRASH_PASSWORD and FLOW_CRASH_EID_PASSWORD must be set", status: 2)
}
let work = WorkDirectory(URL(fileURLWithPath: arguments[1]))
let endpoints = ServiceEndpoints(certRA: certRA, etkRA: etkRA)
let eID = PKCS12EIDKeySource(file: URL(fileURLWithPath: arguments[5]), password: eIDPassword)
// Quick polling: the sandbox delivers within a second; retries stay on as in production.
let settings = FlowSettings(polling: PollingPolicy(backoff: Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .milliseconds(400)),
                                                   maximumWait: .seconds(60)))

let flow: CreateETKFlow
var holdAfter = Int.max
do {
    if arguments[0] == "start" {
        guard arguments.count == 7, let hold = Int(arguments[6]), hold >= 0 else {
            fail("start needs HOLD-AFTER, a number of finished steps (0: before the first step)", status: 2)
        }
        holdAfter = hold
        let request = CreateETKRequest(owner: .naturalPerson, contact: .init(email: "crash@example.be", phone: "+3220000000"),
                                       keystoreDirectory: URL(fileURLWithPath: arguments[2]))
        flow = try CreateETKFlow.start(request, endpoints: endpoints, workDirectory: work)
        say("FLOW \(flow.id.rawValue)")
        if holdAfter == 0 {
            say("HOLD 0 0")
            holdForever()
        }
    } else {
        guard let id = FlowID(rawValue: arguments[2]) else { fail("\(arguments[2]) is not a flow id", status: 2) }
        flow = try CreateETKFlow.open(id, in: work)
    }
} catch {
    fail("\(error)", status: 1)
}

let counter = StepCounter()
let hold = holdAfter
do {
    let result = try await flow.run(
        eID: eID, keystorePassword: password, settings: settings,
        reviewContract: { _ in .accept },
        progress: { event in
            guard case .stepFinished(let step, _) = event else { return }
            let finished = counter.next()
            say("STEP \(finished) \(step.number)")
            // The flow records a step's outcome before it reports the step finished.
            if finished == hold {
                say("HOLD \(finished) \(step.number)")
                holdForever()
            }
        })
    say("DONE \(result.keystoreFile.path)")
} catch {
    fail("\(error)", status: 1)
}

import Testing
import SecoursCLI

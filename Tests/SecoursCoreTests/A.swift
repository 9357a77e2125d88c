import Testing
import SecoursCore

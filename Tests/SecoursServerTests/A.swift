import Testing
import VaporTesting
import SecoursServer
